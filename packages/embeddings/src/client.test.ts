import { AppError } from '@pricebook/errors';
import { type FakeEmbeddings, startFakeEmbeddings } from '@pricebook/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertDimensions, EmbeddingsClient } from './client';
import { type EmbeddingsSettings, embeddingsSettingsOf } from './settings';

let fake: FakeEmbeddings;
beforeAll(async () => {
  fake = await startFakeEmbeddings({ apiKey: 'secret-key' });
});
afterAll(() => fake.close());

const clientOf = (extra: Partial<EmbeddingsSettings> = {}) =>
  new EmbeddingsClient(
    embeddingsSettingsOf({
      url: fake.url,
      model: 'fake-small',
      apiKey: 'secret-key',
      maxRetries: 2,
      ...extra,
    }),
  );

describe('EmbeddingsClient', () => {
  it('embeds texts in requests of the batch size, in order', async () => {
    const before = fake.requests.length;
    const texts = ['copper elbow', 'brass valve', 'water heater', 'pvc pipe', 'ball valve'];
    const vectors = await clientOf({ batchSize: 2 }).embed(texts);
    expect(vectors).toEqual(texts.map((t) => fake.vectorOf(t)));
    expect(fake.requests.slice(before).map((r) => r.input.length)).toEqual([2, 2, 1]);
  });

  it('retries a 429 and a 503 and then answers', async () => {
    fake.failNext(2, 429);
    const [vector] = await clientOf().embed(['retry me']);
    expect(vector).toEqual(fake.vectorOf('retry me'));
  });

  it('reports an outage of the provider as the embeddings dependency, once the retries are spent', async () => {
    fake.failNext(5, 503);
    const err = await clientOf({ maxRetries: 1 })
      .embed(['down'])
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('unavailable');
    expect((err as AppError).dependency).toBe('embeddings');
    fake.failNext(0, 200);
  });

  it('counts a refused key as the provider being unusable, not as a bad text', async () => {
    const err = await clientOf({ apiKey: 'wrong' })
      .embed(['x'])
      .catch((e: unknown) => e);
    expect((err as AppError).dependency).toBe('embeddings');
  });

  it('keeps what the provider said of a refused key out of the error and its causes, which logs print', async () => {
    const err = await clientOf({ apiKey: 'fake-wrong-embeddings-key-for-tests' })
      .embed(['x'])
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'unavailable', message: 'embeddings provider answered 401' });
    const chain: string[] = [];
    for (let e: unknown = err; e instanceof Error; e = e.cause) chain.push(`${e.message}\n${e.stack}`);
    expect(chain.join('\n')).toContain('401');
    expect(chain.join('\n')).not.toContain('fake-wrong-embeddings-key-for-tests');
  });

  it('asks for the configured width and checks it', async () => {
    const [vector] = await clientOf({ dimensions: 256 }).embed(['short']);
    expect(vector).toHaveLength(256);
    expect(fake.requests.at(-1)?.dimensions).toBe(256);
    expect(await clientOf().probeDimensions()).toBe(1536);
  });
});

describe('assertDimensions', () => {
  it('refuses a model whose width is not the column width, naming both and the ways out', () => {
    expect(() => assertDimensions({ model: 'nomic-embed-text', provided: 768, column: 1536 })).toThrow(
      /768 dimensions.*hold 1536.*EMBEDDINGS_DIMENSIONS=1536.*migration/,
    );
    expect(() => assertDimensions({ model: 'm', provided: 1536, column: 1536 })).not.toThrow();
  });
});
