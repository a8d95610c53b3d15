import { StClient } from '@pricebook/st-client';
import { type StartedSandbox, startSandbox, stCredentials } from '@pricebook/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createMetrics } from './metrics';
import { stClientMetrics } from './st-client';
import { parsePrometheusText, sampleValue } from './test-support';

let sb: StartedSandbox;
beforeAll(async () => {
  sb = await startSandbox({ items: 40, seed: 3 });
});
afterAll(async () => {
  await sb?.stop();
});

it('counts ServiceTitan requests by status once a fetch has paged through the sandbox', async () => {
  const metrics = createMetrics({ service: 'fetcher' });
  const st = new StClient({
    ...stCredentials(sb),
    onEvent: stClientMetrics(metrics),
  });
  let pages = 0;
  for await (const _page of st.list('materials')) pages += 1;
  expect(pages).toBeGreaterThan(0);

  const samples = parsePrometheusText(await metrics.scrape());
  expect(sampleValue(samples, 'pricebook_st_requests_total', { status: '200' })).toBe(
    st.stats().byStatus['200'],
  );
  expect(sampleValue(samples, 'pricebook_st_requests_total', { status: '200' })).toBeGreaterThanOrEqual(
    pages,
  );
  expect(sampleValue(samples, 'pricebook_st_rate_limited_total')).toBe(0);
});

it("labels the counts with the tenant of the client's connection", async () => {
  const metrics = createMetrics({ service: 'applier' });
  const st = new StClient({ ...stCredentials(sb), onEvent: stClientMetrics(metrics, sb.tenantId) });
  for await (const _page of st.list('categories')) break;

  const samples = parsePrometheusText(await metrics.scrape());
  expect(sampleValue(samples, 'pricebook_st_requests_total', { status: '200', tenant: sb.tenantId })).toBe(
    st.stats().byStatus['200'],
  );
  expect(
    samples
      .filter((s) => s.name === 'pricebook_st_requests_total')
      .every((s) => s.labels.tenant === sb.tenantId),
  ).toBe(true);
});
