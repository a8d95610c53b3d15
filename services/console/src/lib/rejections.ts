/** The statuses the Rejections page filters by; `open` is the API's default. */
export const rejectionStatuses = ['open', 'discarded', 'all'] as const;
export type RejectionFilter = (typeof rejectionStatuses)[number];

/** Most characters a discard reason may have (the API's limit). */
export const DISCARD_REASON_MAX = 500;

/**
 * Why a discard reason cannot be sent as typed, or undefined when it can: the API wants one to
 * remember why a message was dropped, so an empty one is caught here rather than as a 400.
 *
 * @example
 * discardReasonProblem('  '); // 'Say why the message is discarded.'
 */
export function discardReasonProblem(text: string): string | undefined {
  const reason = text.trim();
  if (reason === '') return 'Say why the message is discarded.';
  if (reason.length > DISCARD_REASON_MAX)
    return `At most ${DISCARD_REASON_MAX} characters (${reason.length} now).`;
  return undefined;
}
