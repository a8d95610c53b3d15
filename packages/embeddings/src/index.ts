export { assertDimensions, type Embedder, EmbeddingsClient } from './client';
export {
  type EmbeddingsEnv,
  type EmbeddingsSettings,
  embeddingsFields,
  embeddingsSettings,
  embeddingsSettingsOf,
} from './settings';
export { type EmbeddableRow, embeddingHash, embeddingText, maxEmbeddedChars } from './text';
