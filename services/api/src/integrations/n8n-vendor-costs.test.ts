import { readFileSync } from 'node:fs';
import { entityDescriptor } from '@pricebook/contracts';
import { forFile } from '@pricebook/testing/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiApp } from '../context';
import { call, keys, startHarness } from '../test-support';
import { seedConflict } from '../test-support/conflicts';
import {
  docsFile,
  evaluate,
  loadWorkflow,
  type N8nContext,
  type N8nItem,
  type N8nRun,
  type N8nWorkflow,
  nextNodes,
  nodeNamed,
  runCode,
  runWorkflow,
} from '../test-support/n8n';
import { seedMaterials, stMaterial } from '../test-support/pricebook';

// docs/integrations/n8n-vendor-costs.json: reads a vendor's cost file and PATCHes each
// material's cost through the API, with the key in a Header Auth credential.
const file = 'n8n-vendor-costs.json';
const workflow: N8nWorkflow = loadWorkflow(file);
const apiUrl = 'https://pricebook.example.com';
const credentialName = 'Pricebook API key';

const h = forFile(() => startHarness());

type Parameter = { name: string; in: string };
type Operation = { parameters?: Array<Parameter | { $ref: string }> };
type OpenApi = {
  paths: Record<string, Record<string, Operation>>;
  components: { parameters: Record<string, Parameter> };
};

let doc: OpenApi;
beforeAll(async () => {
  const res = await call<OpenApi>(h.app(), 'GET', '/openapi.json');
  doc = res.body;
});

/** Rows as n8n's Extract from File node (CSV, header row) gives them: every value text. */
function csvItems(text: string): N8nItem[] {
  const [header, ...lines] = text.trim().split('\n');
  const names = (header ?? '').split(',');
  return lines.map((line) => ({
    json: Object.fromEntries(line.split(',').map((value, i) => [names[i] ?? `col${i}`, value])),
  }));
}

const apiRequests = () =>
  workflow.nodes.filter(
    (n) => n.type === 'n8n-nodes-base.httpRequest' && String(n.parameters.url).includes('/api/'),
  );

/** The OpenAPI operation a request of the workflow reaches, matched on its path template. */
function operationFor(url: string, method: string): Operation | undefined {
  const path = url.replace("={{ $('Settings').first().json.apiUrl }}", '').replaceAll(/\{\{[^}]*\}\}/g, 'X');
  for (const [template, ops] of Object.entries(doc.paths)) {
    const pattern = new RegExp(`^${template.replaceAll(/\{[^}]+\}/g, '[^/]+')}$`);
    if (pattern.test(path)) return ops[method.toLowerCase()];
  }
  return undefined;
}

const parametersOf = (op: Operation) =>
  (op.parameters ?? []).map((p) =>
    '$ref' in p ? (doc.components.parameters[p.$ref.split('/').pop() ?? ''] as Parameter) : p,
  );

describe(`docs/integrations/${file}`, () => {
  it('starts on a schedule or by hand, reads the cost file and parses it as CSV', () => {
    expect(nodeNamed(workflow, 'Every Monday at 06:00').type).toBe('n8n-nodes-base.scheduleTrigger');
    expect(nodeNamed(workflow, 'Run now').type).toBe('n8n-nodes-base.manualTrigger');
    expect(nextNodes(workflow, 'Every Monday at 06:00')).toEqual(['Settings']);
    expect(nextNodes(workflow, 'Run now')).toEqual(['Settings']);
    expect(nextNodes(workflow, 'Settings')).toEqual(['Read vendor cost file']);
    expect(nodeNamed(workflow, 'Read vendor cost file').type).toBe('n8n-nodes-base.readWriteFile');
    expect(nextNodes(workflow, 'Read vendor cost file')).toEqual(['Parse CSV']);
    expect(nodeNamed(workflow, 'Parse CSV')).toMatchObject({
      type: 'n8n-nodes-base.extractFromFile',
      parameters: { operation: 'csv' },
    });
    expect(nextNodes(workflow, 'Parse CSV')).toEqual(['Check rows']);
    expect(nextNodes(workflow, 'Check rows')).toEqual(['Find material']);
    expect(nextNodes(workflow, 'Find material')).toEqual(['Plan changes']);
    expect(nextNodes(workflow, 'Plan changes')).toEqual(['Cost changed?']);
    expect(nextNodes(workflow, 'Cost changed?', 0)).toEqual(['Update cost']);
    expect(nextNodes(workflow, 'Cost changed?', 1)).toEqual([]);
    expect(nextNodes(workflow, 'Update cost')).toEqual(['Report']);
  });

  it('sends the API key through a Header Auth credential named, without its id', () => {
    expect(apiRequests().map((n) => n.name)).toEqual(['Find material', 'Update cost']);
    for (const node of apiRequests()) {
      expect(node.parameters).toMatchObject({
        authentication: 'genericCredentialType',
        genericAuthType: 'httpHeaderAuth',
      });
      expect(node.credentials).toEqual({ httpHeaderAuth: { name: credentialName } });
    }
    const text = readFileSync(docsFile(file), 'utf8');
    expect(text).not.toMatch(/Bearer|"id":\s*"[^"]*",\s*"name":\s*"Pricebook API key"/);
  });

  it('calls only operations the OpenAPI document has, with parameters it declares', () => {
    for (const node of apiRequests()) {
      const { method, url } = node.parameters as { method: string; url: string };
      const op = operationFor(url, method);
      expect(op, `${method} ${url}`).toBeDefined();
      const declared = parametersOf(op ?? {});
      const query = (node.parameters.queryParameters as { parameters: Parameter[] } | undefined)?.parameters;
      for (const q of query ?? []) {
        expect(
          declared.some((p) => p.in === 'query' && p.name === q.name),
          `${node.name} ?${q.name}`,
        ).toBe(true);
      }
      const headers = (node.parameters.headerParameters as { parameters: Parameter[] } | undefined)
        ?.parameters;
      for (const header of headers ?? []) {
        const known = declared.some(
          (p) => p.in === 'header' && p.name.toLowerCase() === header.name.toLowerCase(),
        );
        expect(known, `${node.name} ${header.name}`).toBe(true);
      }
    }
    expect(
      operationFor(
        "={{ $('Settings').first().json.apiUrl }}/api/pricebook/materials/{{ $json.id }}",
        'PATCH',
      ),
    ).toBeDefined();
  });

  it("sends a body the materials' update schema accepts", () => {
    const update = nodeNamed(workflow, 'Update cost');
    const run: N8nRun = { outputs: new Map() };
    const body = evaluate(
      update.parameters.jsonBody,
      run,
      {},
      { json: { id: 'x', version: 3, cost: 19.15 } },
    );
    expect(JSON.parse(String(body))).toEqual({ cost: 19.15 });
    expect(entityDescriptor('materials').st.update.safeParse(JSON.parse(String(body))).success).toBe(true);
  });
});

describe('the Check rows Code node', () => {
  const check = String(nodeNamed(workflow, 'Check rows').parameters.jsCode);

  it('turns the example file into codes and amounts', async () => {
    const csv = readFileSync(docsFile('vendor-costs.example.csv'), 'utf8');
    const out = await runCode(check, csvItems(csv));
    expect(out.map((i) => i.json)).toEqual([
      { line: 2, code: 'CU-12-10', cost: 19.15 },
      { line: 3, code: 'CU-34-10', cost: 27.8 },
      { line: 4, code: 'PEX-12-100', cost: 41 },
    ]);
  });

  it('refuses the whole file, naming every bad line, before anything is written', async () => {
    const csv = 'code,cost\nCU-1,4.20\n,3.00\nCU-2,abc\nCU-1,5.00\nCU-3,-1\nCU-4,';
    await expect(runCode(check, csvItems(csv))).rejects.toThrow(
      /line 3: no code\nline 4: cost "abc".*\nline 5: CU-1 appears twice\nline 6: cost "-1".*\nline 7: cost ""/,
    );
    await expect(runCode(check, [])).rejects.toThrow(/no rows/);
  });
});

describe('the vendor cost workflow, run against the API', () => {
  let app: ApiApp;
  let tenant: string;

  const context = (onPatch?: (url: string) => Promise<void>): N8nContext => ({
    credentials: { [credentialName]: { name: 'Authorization', value: `Bearer ${keys.operator}` } },
    fetch: async (url, init) => {
      expect(url.startsWith(`${apiUrl}/api/`)).toBe(true);
      if (init.method === 'PATCH') await onPatch?.(url);
      return app.request(url.slice(apiUrl.length), init);
    },
  });

  /** Runs the workflow from its Check rows node, as if Settings, the file and the CSV parser had run. */
  async function runFile(csv: string, onPatch?: (url: string) => Promise<void>) {
    const settings = nodeNamed(workflow, 'Settings').parameters as {
      assignments: { assignments: Array<{ name: string; value: string }> };
    };
    const values = Object.fromEntries(settings.assignments.assignments.map((a) => [a.name, a.value]));
    expect(values.apiUrl).toBe(apiUrl);
    // The HTTP nodes read the API's address from the Settings node's output.
    return runWorkflow(workflow, 'Check rows', csvItems(csv), context(onPatch), {
      Settings: [{ json: values }],
    });
  }

  beforeAll(() => {
    tenant = h.tenant();
    app = h.app({ tenantId: tenant });
  });

  const material = async (id: string) =>
    (
      await call<{ item: { version: number; record: Record<string, unknown> } }>(
        app,
        'GET',
        `/api/pricebook/materials/${id}`,
        { key: keys.viewer },
      )
    ).body.item;

  it('updates the costs that changed, leaves the rest, and reports a material in conflict', async () => {
    const [changed, same, longer] = await seedMaterials(h, tenant, [
      stMaterial(501, { code: 'CU-12-10', cost: 18.4 }),
      stMaterial(502, { code: 'CU-34-10', cost: 27.8 }),
      // Found by the same search, never taken for CU-12-10.
      stMaterial(503, { code: 'CU-12-100', cost: 50 }),
    ]);
    const conflict = await seedConflict(h, tenant, 504);
    await h.sql('delete from pricebook_changes where tenant_id = ?', [tenant]);
    const csv = `code,cost\nCU-12-10,19.15\nCU-34-10,27.80\n${String(conflict.local.code)},4.50\nNOPE-1,3.00`;

    const run = await runFile(csv);

    expect(run.outputs.get('Plan changes')?.[0]?.map((i) => [i.json.code, i.json.action])).toEqual([
      ['CU-12-10', 'update'],
      ['CU-34-10', 'unchanged'],
      [conflict.local.code, 'update'],
      ['NOPE-1', 'not_found'],
    ]);
    expect(run.outputs.get('Report')?.[0]?.map((i) => i.json)).toEqual([
      { code: 'CU-12-10', previousCost: 18.4, cost: 19.15, statusCode: 200, outcome: 'updated' },
      {
        code: conflict.local.code,
        previousCost: 4,
        cost: 4.5,
        statusCode: 409,
        outcome: 'refused: the material is in conflict; settle the conflict, then run again',
      },
    ]);
    expect((await material(String(changed))).record.cost).toBe(19.15);
    expect((await material(String(same))).version).toBe(1);
    expect((await material(String(longer))).record.cost).toBe(50);
    const audit = await h.sql<{ actor: string; changed_fields: string[] }>(
      'select actor, changed_fields from pricebook_changes where tenant_id = ? order by seq',
      [tenant],
    );
    expect(audit).toEqual([{ actor: expect.stringMatching(/^api:operator/), changed_fields: ['cost'] }]);
  });

  it('never overwrites an edit made between reading a material and writing its cost', async () => {
    const [id] = await seedMaterials(h, tenant, [stMaterial(601, { code: 'BR-1', cost: 2 })]);
    const run = await runFile('code,cost\nBR-1,2.50', async () => {
      const res = await call(app, 'PATCH', `/api/pricebook/materials/${id}`, {
        key: keys.operator,
        body: { cost: 2.75 },
      });
      expect(res.status).toBe(200);
    });
    expect(run.outputs.get('Report')?.[0]?.map((i) => i.json)).toEqual([
      {
        code: 'BR-1',
        previousCost: 2,
        cost: 2.5,
        statusCode: 412,
        outcome: 'refused: the material changed since it was read; run again',
      },
    ]);
    expect((await material(String(id))).record.cost).toBe(2.75);
  });
});
