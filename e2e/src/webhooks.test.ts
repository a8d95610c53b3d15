import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { until } from '@pricebook/testing/vitest';
import { Webhook } from 'standardwebhooks';
import { describe, expect } from 'vitest';
import { api, sync, test } from './test-support';

test.scoped({ stackOptions: { sandbox: { items: 30, seed: 31 } } });

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

// The whole engine: a webhook added through the API hears of a sync's changes, each delivery signed
// with the secret the API showed once, through the webhooks service's own durable consumer.
describe('webhooks', () => {
  test('deliver every change of a sync, signed, to a subscription added through the API', async ({
    stack,
  }) => {
    const received: Received[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const created = await api<{ webhook: { id: string }; secret: string }>(stack, 'POST', '/api/webhooks', {
        url: `http://127.0.0.1:${port}/hook`,
        eventTypes: ['record.created', 'sync.completed'],
        entityTypes: ['materials'],
      });
      expect(created.status).toBe(201);

      const result = await sync(stack, 'full', { entityTypes: ['materials'] });
      expect(result.status).toBe('completed');
      const materials = result.stats.created;
      expect(materials).toBeGreaterThan(0);

      const types = () => received.map((r) => (JSON.parse(r.body) as { type: string }).type);
      await until(
        'every delivery',
        () =>
          types().filter((t) => t === 'record.created').length === materials &&
          types().includes('sync.completed'),
      );
      const verifier = new Webhook(created.body.secret);
      for (const r of received) {
        verifier.verify(r.body, {
          'webhook-id': String(r.headers['webhook-id']),
          'webhook-timestamp': String(r.headers['webhook-timestamp']),
          'webhook-signature': String(r.headers['webhook-signature']),
        });
      }
      expect(new Set(received.map((r) => r.headers['webhook-id'])).size).toBe(received.length);

      // The receiver has each body before the service has its answer and records the attempt.
      const deliveries = () =>
        api<{ deliveries: Array<{ status: string }> }>(
          stack,
          'GET',
          `/api/webhooks/${created.body.webhook.id}/deliveries?limit=100`,
        );
      await until('every delivery recorded', async () =>
        (await deliveries()).body.deliveries.every((d) => d.status !== 'pending'),
      );
      const log = await deliveries();
      expect(log.body.deliveries).toHaveLength(received.length);
      expect(log.body.deliveries.every((d) => d.status === 'succeeded')).toBe(true);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
