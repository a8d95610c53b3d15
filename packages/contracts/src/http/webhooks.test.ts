import { describe, expect, it } from 'vitest';
import { catalog } from '../messaging/catalog';
import { messageTypes } from '../messaging/subjects';
import {
  WebhookCreateRequest,
  WebhookReplayRequest,
  WebhookSubscription,
  webhookEventTypeOf,
  webhookEventTypes,
} from './webhooks';

describe('webhook event types', () => {
  it('are every public event type, conflicts under their webhook names', () => {
    const publicTypes = messageTypes.filter((t) => catalog[t].stream === 'PRICEBOOK_EVENTS');
    expect(webhookEventTypes).toHaveLength(publicTypes.length);
    expect(webhookEventTypes).toContain('conflict.opened');
    expect(webhookEventTypes).toContain('conflict.resolved');
    expect(webhookEventTypes).toContain('record.updated');
    expect(webhookEventTypes).not.toContain('record.conflicted');
    expect(webhookEventTypes).not.toContain('record.observed');
    expect(webhookEventTypeOf('record.resolved')).toBe('conflict.resolved');
    expect(webhookEventTypeOf('sync.failed')).toBe('sync.failed');
  });
});

describe('webhook requests', () => {
  it('defaults the entity filter to every entity type', () => {
    const r = WebhookCreateRequest.parse({ url: 'https://h.example.com/x', eventTypes: ['sync.completed'] });
    expect(r.entityTypes).toBeNull();
  });

  it('refuses unknown or repeated event types and non-web URLs', () => {
    const base = { url: 'https://h.example.com/x', eventTypes: ['sync.completed'] };
    expect(WebhookCreateRequest.safeParse({ ...base, eventTypes: ['record.conflicted'] }).success).toBe(
      false,
    );
    expect(
      WebhookCreateRequest.safeParse({ ...base, eventTypes: ['sync.failed', 'sync.failed'] }).success,
    ).toBe(false);
    expect(WebhookCreateRequest.safeParse({ ...base, url: 'ftp://h.example.com/x' }).success).toBe(false);
  });

  it('wants a replay range that starts before it ends', () => {
    expect(WebhookReplayRequest.safeParse({ since: '2026-12-06T00:00:00Z' }).success).toBe(true);
    const backwards = { since: '2026-12-06T01:00:00Z', until: '2026-12-06T00:00:00Z' };
    expect(WebhookReplayRequest.safeParse(backwards).success).toBe(false);
  });

  it('has no secret in the subscription a GET returns', () => {
    expect(Object.keys(WebhookSubscription.shape)).not.toContain('secret');
  });
});
