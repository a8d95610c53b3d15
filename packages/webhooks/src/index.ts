export {
  defaultRetryScheduleMs,
  nextAttemptDelayMs,
  parseRetrySchedule,
  retryJitter,
} from './retry-schedule';
export { newWebhookSecret, webhookSecretBinding } from './secret';
export {
  addressRange,
  type CheckedTarget,
  checkWebhookUrl,
  isPublicAddress,
  type ResolvedAddress,
  type UrlGuardOptions,
  WebhookUrlRefused,
} from './url-guard';
