/**
 * What happens on a channel — chat, follows, subs, gifts, going live, bans, reward redemptions: each helper
 * changes the simulator's state the way Kick would and delivers the matching webhook.
 */
import { ulid } from 'ulid';
import { SIM_CATEGORIES } from './constants.ts';
import type { EventDelivery } from './EventDelivery.ts';
import { KickSimError } from './KickSimError.ts';
import type { HelperOptions, SendChatOptions, SentChat } from './kickSim.ts';
import { anonymousKickUser, chatIdentity, kickUser, rfc3339, subscriptionTimes } from './payloads.ts';
import type { SimState } from './SimState.ts';
import type { ChatLogEntry, DeliveryRecord, EmitOptions, SimCategory } from './types.ts';
import type { WirePayload, WirePayloadBody } from './wireTypes.ts';

/** The channel-activity half of {@link KickSim} (see kickSim.ts for each method's contract). */
export class ChannelActivity {
  constructor(
    private readonly state: SimState,
    private readonly events: EventDelivery,
  ) {}

  private emitOpts(broadcasterUserId: number, opts: HelperOptions): EmitOptions & { at?: Date } {
    return { ...opts, broadcasterUserId };
  }

  /** Delivers `chat.message.sent` for a chat log entry (a viewer message, or the bot echoing an API send). */
  emitChatEntry(entry: ChatLogEntry, opts: SendChatOptions): Promise<DeliveryRecord[]> {
    const sender = this.state.requireUser(entry.senderUserId, 'sender');
    const original = entry.replyToMessageId ? this.state.chat.find((m) => m.messageId === entry.replyToMessageId) : undefined;
    const payload: WirePayload<'chat.message.sent'> = {
      message_id: entry.messageId,
      // Null (not absent) when the message replies to nothing, as Kick sends it.
      replies_to: original ? { message_id: original.messageId, content: original.content, sender: this.events.kickUserFor(original.senderUserId) } : null,
      broadcaster: this.events.kickUserFor(entry.broadcasterUserId),
      sender: kickUser(sender, chatIdentity(sender.userId, opts.badges ?? [])),
      content: entry.content,
      emotes: opts.emotes ?? [],
      created_at: rfc3339(entry.createdAt),
    };
    return this.events.emit('chat.message.sent', payload, { ...opts, broadcasterUserId: entry.broadcasterUserId, at: entry.createdAt });
  }

  async sendChat(broadcasterUserId: number, senderUserId: number, content: string, opts: SendChatOptions = {}): Promise<SentChat> {
    const broadcaster = this.state.requireUser(broadcasterUserId, 'broadcaster');
    const sender = this.state.requireUser(senderUserId, 'sender');
    if (this.state.activeBan(broadcaster.userId, sender.userId)) throw new KickSimError(`${sender.username} is banned in ${broadcaster.username}'s channel and cannot chat.`);
    const entry: ChatLogEntry = {
      messageId: crypto.randomUUID(),
      broadcasterUserId,
      senderUserId,
      senderUsername: sender.username,
      content,
      type: 'viewer',
      replyToMessageId: opts.replyTo ?? null,
      createdAt: opts.at ?? this.state.clock.now(),
      deletedAt: null,
      clientId: null,
    };
    this.state.chat.push(entry);
    const deliveries = await this.emitChatEntry(entry, opts);
    return { messageId: entry.messageId, deliveries };
  }

  async follow(broadcasterUserId: number, followerUserId: number, opts: HelperOptions = {}): Promise<DeliveryRecord[]> {
    this.state.requireUser(broadcasterUserId, 'broadcaster');
    const follower = this.state.requireUser(followerUserId, 'follower');
    this.state.setOf(this.state.followers, broadcasterUserId).add(followerUserId);
    const payload: WirePayloadBody<'channel.followed'> = { follower: kickUser(follower) };
    return this.events.emit('channel.followed', payload, this.emitOpts(broadcasterUserId, opts));
  }

  async subscribe(broadcasterUserId: number, subscriberUserId: number, months = 1, opts: HelperOptions = {}): Promise<DeliveryRecord[]> {
    const broadcaster = this.state.requireUser(broadcasterUserId, 'broadcaster');
    const subscriber = this.state.requireUser(subscriberUserId, 'subscriber');
    if (!Number.isInteger(months) || months < 1) throw new KickSimError(`months must be a positive integer, got ${months}.`);
    const subs = this.state.setOf(this.state.subscribers, broadcasterUserId);
    const isNew = months === 1 && !subs.has(subscriberUserId);
    if (!subs.has(subscriberUserId)) broadcaster.channel.activeSubscribersCount++;
    subs.add(subscriberUserId);
    const at = opts.at ?? this.state.clock.now();
    const type = isNew ? 'channel.subscription.new' : 'channel.subscription.renewal';
    const payload: WirePayloadBody<'channel.subscription.new'> = { subscriber: kickUser(subscriber), duration: months, ...subscriptionTimes(at) };
    return this.events.emit(type, payload, { ...this.emitOpts(broadcasterUserId, opts), at });
  }

  async giftSubs(broadcasterUserId: number, gifterUserId: number | null, gifteeUserIds: number[], opts: HelperOptions = {}): Promise<DeliveryRecord[]> {
    const broadcaster = this.state.requireUser(broadcasterUserId, 'broadcaster');
    if (gifteeUserIds.length === 0) throw new KickSimError('giftSubs needs at least one giftee.');
    const gifter = gifterUserId === null ? anonymousKickUser() : kickUser(this.state.requireUser(gifterUserId, 'gifter'));
    const giftees = gifteeUserIds.map((id) => kickUser(this.state.requireUser(id, 'giftee')));
    const subs = this.state.setOf(this.state.subscribers, broadcasterUserId);
    for (const id of gifteeUserIds) {
      if (!subs.has(id)) broadcaster.channel.activeSubscribersCount++;
      subs.add(id);
    }
    const at = opts.at ?? this.state.clock.now();
    const payload: WirePayloadBody<'channel.subscription.gifts'> = { gifter, giftees, ...subscriptionTimes(at) };
    return this.events.emit('channel.subscription.gifts', payload, { ...this.emitOpts(broadcasterUserId, opts), at });
  }

  async giftKicks(
    broadcasterUserId: number,
    senderUserId: number,
    amount: number,
    opts: HelperOptions & { name?: string; type?: string; tier?: string; message?: string; pinnedTimeSeconds?: number } = {},
  ): Promise<DeliveryRecord[]> {
    this.state.requireUser(broadcasterUserId, 'broadcaster');
    const sender = this.state.requireUser(senderUserId, 'sender');
    if (!Number.isInteger(amount) || amount <= 0) throw new KickSimError(`amount must be a positive integer number of kicks, got ${amount}.`);
    const at = opts.at ?? this.state.clock.now();
    this.state.kicks.push({ broadcasterUserId, senderUserId, amount, at });
    const { name, type, tier, message, pinnedTimeSeconds, ...emitOpts } = opts;
    const payload: WirePayloadBody<'kicks.gifted'> = {
      sender: kickUser(sender),
      gift: { amount, name: name ?? 'Full Send', type: type ?? 'BASIC', tier: tier ?? 'BASIC', message: message ?? '', pinned_time_seconds: pinnedTimeSeconds ?? 0 },
      created_at: rfc3339(at),
    };
    return this.events.emit('kicks.gifted', payload, { ...this.emitOpts(broadcasterUserId, emitOpts), at });
  }

  private resolveCategory(category: number | string | undefined, fallback: SimCategory): SimCategory {
    if (category === undefined) return fallback;
    const found = SIM_CATEGORIES.find((c) => (typeof category === 'number' ? c.id === category : c.name.toLowerCase() === category.toLowerCase()));
    if (!found) throw new KickSimError(`Unknown category ${JSON.stringify(category)}; known: ${SIM_CATEGORIES.map((c) => `${c.id} ${c.name}`).join(', ')}.`);
    return { id: found.id, name: found.name, thumbnail: found.thumbnail };
  }

  async goLive(
    broadcasterUserId: number,
    stream: { title: string; category?: number | string; language?: string; isMature?: boolean; viewerCount?: number },
    opts: HelperOptions = {},
  ): Promise<DeliveryRecord[]> {
    const channel = this.state.requireUser(broadcasterUserId, 'broadcaster').channel;
    const at = opts.at ?? this.state.clock.now();
    channel.category = this.resolveCategory(stream.category, channel.category);
    channel.streamTitle = stream.title;
    channel.isLive = true;
    channel.startTime = at;
    if (stream.language !== undefined) channel.language = stream.language;
    if (stream.isMature !== undefined) channel.isMature = stream.isMature;
    if (stream.viewerCount !== undefined) channel.viewerCount = stream.viewerCount;
    const payload: WirePayloadBody<'livestream.status.updated'> = { is_live: true, title: stream.title, started_at: rfc3339(at), ended_at: null };
    return this.events.emit('livestream.status.updated', payload, { ...this.emitOpts(broadcasterUserId, opts), at });
  }

  async goOffline(broadcasterUserId: number, opts: HelperOptions = {}): Promise<DeliveryRecord[]> {
    const channel = this.state.requireUser(broadcasterUserId, 'broadcaster').channel;
    const at = opts.at ?? this.state.clock.now();
    const startedAt = channel.startTime ?? at;
    channel.isLive = false;
    channel.viewerCount = 0;
    const payload: WirePayloadBody<'livestream.status.updated'> = { is_live: false, title: channel.streamTitle, started_at: rfc3339(startedAt), ended_at: rfc3339(at) };
    return this.events.emit('livestream.status.updated', payload, { ...this.emitOpts(broadcasterUserId, opts), at });
  }

  /** The `livestream.metadata.updated` body for a channel as it is now. */
  metadataPayload(broadcasterUserId: number): WirePayloadBody<'livestream.metadata.updated'> {
    const c = this.state.requireUser(broadcasterUserId, 'broadcaster').channel;
    return { metadata: { title: c.streamTitle, language: c.language, has_mature_content: c.isMature, category: { ...c.category } } };
  }

  async updateMetadata(
    broadcasterUserId: number,
    metadata: { title?: string; category?: number | string; language?: string; hasMatureContent?: boolean },
    opts: HelperOptions = {},
  ): Promise<DeliveryRecord[]> {
    const channel = this.state.requireUser(broadcasterUserId, 'broadcaster').channel;
    channel.category = this.resolveCategory(metadata.category, channel.category);
    if (metadata.title !== undefined) channel.streamTitle = metadata.title;
    if (metadata.language !== undefined) channel.language = metadata.language;
    if (metadata.hasMatureContent !== undefined) channel.isMature = metadata.hasMatureContent;
    return this.events.emit('livestream.metadata.updated', this.metadataPayload(broadcasterUserId), this.emitOpts(broadcasterUserId, opts));
  }

  /** The `moderation.banned` body. */
  banPayload(moderatorUserId: number, bannedUserId: number, reason: string, createdAt: Date, expiresAt: Date | null): WirePayloadBody<'moderation.banned'> {
    return {
      moderator: this.events.kickUserFor(moderatorUserId),
      banned_user: this.events.kickUserFor(bannedUserId),
      metadata: { reason, created_at: rfc3339(createdAt), expires_at: expiresAt ? rfc3339(expiresAt) : null },
    };
  }

  async ban(broadcasterUserId: number, bannedUserId: number, opts: HelperOptions & { moderatorUserId?: number; reason?: string; durationMinutes?: number } = {}): Promise<DeliveryRecord[]> {
    this.state.requireUser(broadcasterUserId, 'broadcaster');
    this.state.requireUser(bannedUserId, 'banned user');
    const { moderatorUserId, reason, durationMinutes, ...emitOpts } = opts;
    const createdAt = opts.at ?? this.state.clock.now();
    const expiresAt = durationMinutes === undefined ? null : new Date(createdAt.getTime() + durationMinutes * 60_000);
    this.state.unban(broadcasterUserId, bannedUserId);
    this.state.bans.push({ broadcasterUserId, userId: bannedUserId, reason: reason ?? '', createdAt, expiresAt });
    const payload = this.banPayload(moderatorUserId ?? broadcasterUserId, bannedUserId, reason ?? '', createdAt, expiresAt);
    return this.events.emit('moderation.banned', payload, { ...this.emitOpts(broadcasterUserId, emitOpts), at: createdAt });
  }

  async redeemReward(
    broadcasterUserId: number,
    redeemerUserId: number,
    reward: { title: string; cost?: number; description?: string; userInput?: string; status?: 'pending' | 'accepted' | 'rejected'; rewardId?: string; redemptionId?: string },
    opts: HelperOptions = {},
  ): Promise<DeliveryRecord[]> {
    this.state.requireUser(broadcasterUserId, 'broadcaster');
    const redeemer = this.state.requireUser(redeemerUserId, 'redeemer');
    const at = opts.at ?? this.state.clock.now();
    const payload: WirePayloadBody<'channel.reward.redemption.updated'> = {
      id: reward.redemptionId ?? ulid(),
      user_input: reward.userInput ?? '',
      status: reward.status ?? 'pending',
      redeemed_at: rfc3339(at),
      reward: { id: reward.rewardId ?? ulid(), title: reward.title, cost: reward.cost ?? 100, description: reward.description ?? '' },
      redeemer: kickUser(redeemer),
    };
    return this.events.emit('channel.reward.redemption.updated', payload, { ...this.emitOpts(broadcasterUserId, opts), at });
  }
}
