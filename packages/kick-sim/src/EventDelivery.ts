/**
 * Webhook events from the simulator's state: builds each payload (defaults merged with overrides), finds the
 * subscriptions it goes to and hands one message per subscription to the {@link WebhookDispatcher}.
 */
import { ulid } from 'ulid';
import { KickSimError } from './KickSimError.ts';
import type { BatchItem } from './kickSim.ts';
import { deepMerge, defaultPayload, type JsonObject, kickUser, payloadBroadcasterId, placeholderKickUser, rfc3339 } from './payloads.ts';
import { createRng } from './random.ts';
import type { SimState } from './SimState.ts';
import type { DeliveryRecord, EmitOptions, KickKnownUserObject, PayloadOverrides, SimEventName } from './types.ts';
import type { WebhookDispatcher } from './WebhookDispatcher.ts';

/** The event-delivery half of {@link KickSim}: `emit`, `emitBatch`, `deliverTo`. */
export class EventDelivery {
  constructor(
    private readonly state: SimState,
    private readonly dispatcher: WebhookDispatcher,
  ) {}

  /** The wire user object of a sim user, or a placeholder for an id the simulator does not know. */
  kickUserFor(userId: number): KickKnownUserObject {
    const user = this.state.users.get(userId);
    return user ? kickUser(user) : placeholderKickUser(userId, `user_${userId}`);
  }

  private buildPayload(type: string, overrides: PayloadOverrides, broadcasterUserId: number, at: Date): JsonObject {
    return deepMerge(defaultPayload(type, this.kickUserFor(broadcasterUserId), at), overrides);
  }

  private resolveBroadcaster(type: string, overrides: PayloadOverrides, opts: EmitOptions): number {
    const id = opts.broadcasterUserId ?? payloadBroadcasterId(overrides);
    if (id === null) throw new KickSimError(`emit("${type}") needs a broadcaster: pass opts.broadcasterUserId or payload.broadcaster.user_id.`);
    return id;
  }

  async emit(type: SimEventName, payload: PayloadOverrides = {}, opts: EmitOptions & { at?: Date } = {}): Promise<DeliveryRecord[]> {
    const broadcasterUserId = this.resolveBroadcaster(type, payload, opts);
    const at = opts.at ?? this.state.clock.now();
    const body = this.buildPayload(type, payload, broadcasterUserId, at);
    const timestamp = opts.timestamp ?? rfc3339(at);
    const subs = [...this.state.subscriptions.values()].filter((s) => s.event === type && s.broadcasterUserId === broadcasterUserId);
    const copies = 1 + Math.max(0, opts.resend ?? 0);
    const sends = Array.from({ length: copies }, (_, copy) => copy).flatMap((copy) => subs.map((sub) => {
      const app = this.state.apps.get(sub.clientId);
      const url = app?.webhookEnabled ? app.webhookUrl : null;
      const message = {
        type,
        version: String(sub.version),
        payload: body,
        subscriptionId: sub.id,
        clientId: sub.clientId,
        broadcasterUserId,
        messageId: copy === 0 && opts.messageId ? opts.messageId : ulid(),
        timestamp,
        duplicate: Math.max(0, opts.duplicate ?? 0),
        delayMs: Math.max(0, opts.delayMs ?? 0),
        drop: opts.drop ?? false,
      };
      if (!url) return this.dispatcher.recordUndeliverable({ ...message, url: '' }, 'the app has no webhook URL (registerApp({ webhookUrl }) or setWebhookUrl())');
      return this.dispatcher.send({ ...message, url });
    }));
    return (await Promise.all(sends)).flat();
  }

  async emitBatch(items: BatchItem[], options: { reorder?: boolean; seed?: number } = {}): Promise<DeliveryRecord[]> {
    const ordered = options.reorder ? createRng(options.seed ?? Math.floor(Math.random() * 2 ** 31)).shuffle(items) : items;
    const out: DeliveryRecord[] = [];
    for (const item of ordered) out.push(...(await this.emit(item.type, item.payload ?? {}, item.opts ?? {})));
    return out;
  }

  async deliverTo(url: string, type: SimEventName, payload: PayloadOverrides = {}, opts: EmitOptions & { subscriptionId?: string; at?: Date } = {}): Promise<DeliveryRecord[]> {
    const broadcasterUserId = this.resolveBroadcaster(type, payload, opts);
    const at = opts.at ?? this.state.clock.now();
    return this.dispatcher.send({
      url,
      type,
      version: '1',
      payload: this.buildPayload(type, payload, broadcasterUserId, at),
      subscriptionId: opts.subscriptionId ?? ulid(),
      clientId: null,
      broadcasterUserId,
      messageId: opts.messageId ?? ulid(),
      timestamp: opts.timestamp ?? rfc3339(at),
      duplicate: Math.max(0, opts.duplicate ?? 0),
      delayMs: Math.max(0, opts.delayMs ?? 0),
      drop: opts.drop ?? false,
    });
  }
}
