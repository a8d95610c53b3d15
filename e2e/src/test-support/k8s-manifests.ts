import { execFileSync } from 'node:child_process';
import * as monitoringV1 from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import * as appsV1 from 'kubernetes-models/apps/v1';
import * as autoscalingV2 from 'kubernetes-models/autoscaling/v2';
import * as batchV1 from 'kubernetes-models/batch/v1';
import * as policyV1 from 'kubernetes-models/policy/v1';
import * as apiV1 from 'kubernetes-models/v1';
import { parseAllDocuments } from 'yaml';

/** One rendered Kubernetes object, read loosely: the checks below look at the fields they need. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  // biome-ignore lint/suspicious/noExplicitAny: rendered YAML of many kinds, checked field by field in the tests.
  spec?: any;
  data?: Record<string, string>;
}

/** `kubectl kustomize <dir>`: every object the overlay renders, as kubectl would apply them. */
export function renderKustomization(dir: string): K8sObject[] {
  let text: string;
  try {
    text = execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT')
      throw new Error(
        'kubectl is needed to render deploy/k8s (`kubectl kustomize`, offline): install kubectl',
      );
    throw e;
  }
  return parseAllDocuments(text)
    .map((doc) => doc.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null);
}

type Model = new (data: object) => { validate(): void };

/**
 * The kubernetes-models packages ship each API's JSON schemas compiled to validators (offline, no
 * cluster): Kubernetes' own kinds and the Prometheus Operator's CRDs.
 */
const modelsByApiVersion: Record<string, Record<string, unknown>> = {
  v1: apiV1,
  'apps/v1': appsV1,
  'autoscaling/v2': autoscalingV2,
  'batch/v1': batchV1,
  'policy/v1': policyV1,
  'monitoring.coreos.com/v1': monitoringV1,
};

/**
 * No schema package for CloudNativePG is published on npm: its kinds are checked for the fields
 * the operator requires and this deployment relies on.
 */
const structuralChecks: Record<string, (o: K8sObject) => string[]> = {
  'postgresql.cnpg.io/v1/Cluster': (o) => [
    ...(Number.isInteger(o.spec?.instances) && o.spec.instances >= 1
      ? []
      : ['spec.instances: an integer ≥ 1']),
    ...(typeof o.spec?.storage?.size === 'string' ? [] : ['spec.storage.size: required']),
    ...(typeof o.spec?.imageName === 'string' ? [] : ['spec.imageName: required']),
  ],
  'postgresql.cnpg.io/v1/Database': (o) => [
    ...(typeof o.spec?.name === 'string' ? [] : ['spec.name: required']),
    ...(typeof o.spec?.owner === 'string' ? [] : ['spec.owner: required']),
    ...(typeof o.spec?.cluster?.name === 'string' ? [] : ['spec.cluster.name: required']),
  ],
};

/**
 * kustomize wraps a Secret's base64 at 70 columns; the API server's decoder skips the line breaks,
 * the schema's `byte` format does not.
 */
function unwrapSecret(o: K8sObject): K8sObject {
  const data = Object.fromEntries(Object.entries(o.data ?? {}).map(([k, v]) => [k, v.replace(/\s/g, '')]));
  return { ...o, data };
}

/** The problems of one object against its schema (empty when it is valid). */
export function validateObject(o: K8sObject): string[] {
  const id = `${o.kind}/${o.metadata?.name}`;
  const structural = structuralChecks[`${o.apiVersion}/${o.kind}`];
  if (structural) return structural(o).map((p) => `${id}: ${p}`);
  const model = modelsByApiVersion[o.apiVersion]?.[o.kind] as Model | undefined;
  if (!model) return [`${id}: no schema for ${o.apiVersion} ${o.kind}`];
  try {
    new model(o.kind === 'Secret' ? unwrapSecret(o) : o).validate();
    return [];
  } catch (e) {
    return [`${id}: ${(e as Error).message}`];
  }
}
