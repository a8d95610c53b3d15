/** Test support: a strict enough reader of Prometheus' text format 0.0.4 (not exported by the package). */

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

// Values are Go floats, as Prometheus parses them: NaN in any case (prom-client writes `Nan`).
const sampleLine = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (-?[0-9.eE+-]+|[Nn][Aa][Nn]|[+-]?Inf)( -?\d+)?$/;
const labelPair = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
const typeLine = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/;

/**
 * Parses exposition text; throws on the first line that is not valid, or a sample whose family
 * was not declared with `# TYPE` first.
 */
export function parsePrometheusText(text: string): Sample[] {
  const typed = new Set<string>();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line.startsWith('# HELP ')) continue;
    const type = typeLine.exec(line);
    if (type?.[1]) {
      typed.add(type[1]);
      continue;
    }
    const m = sampleLine.exec(line);
    if (!m?.[1] || m[4] === undefined) throw new Error(`not a Prometheus sample line: ${line}`);
    const name = m[1];
    const family = name.replace(/_(bucket|sum|count|total|created)$/, '');
    if (!typed.has(name) && !typed.has(family)) throw new Error(`sample before its # TYPE: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (m[3] ?? '').matchAll(labelPair)) labels[pair[1] ?? ''] = pair[2] ?? '';
    samples.push({ name, labels, value: Number(m[4]) });
  }
  return samples;
}

/** The value of the one sample with this name and these labels (others ignored), or undefined. */
export function sampleValue(
  samples: Sample[],
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  return samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    ?.value;
}
