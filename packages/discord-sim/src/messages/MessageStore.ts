import { apiAttachment, apiMember, apiUser, type SimUser } from '../apiObjects.ts';
import { Intent, type Gateway } from '../gateway/Gateway.ts';
import { validateMessagePayload } from '../messageValidation.ts';
import type { UploadedFile } from '../requestBody.ts';
import { err, invalidForm, type Reply } from '../rest/reply.ts';
import type { SimState, StoredMessage } from '../state/SimState.ts';
import { snowflake } from '../snowflake.ts';
import type { SimAttachment, SimChannel } from '../types.ts';

/** Message flag: only the invoking user sees it. */
export const EPHEMERAL = 64;
/** Message flag: "thinking…" placeholder of a deferred reply. */
export const LOADING = 128;

/** Whether a create/edit result is a message (not an error reply). */
export const isMessage = (x: StoredMessage | Reply): x is StoredMessage => 'channelId' in x;

/**
 * Creating, editing and deleting the bot's messages: payload validation, stored attachments, the wire
 * message object, and the MESSAGE_* gateway events that follow.
 */
export class MessageStore {
  constructor(
    private readonly state: SimState,
    private readonly gateway: Gateway,
    private readonly baseUrl: () => string,
  ) {}

  /** The Discord message object of a stored message. */
  apiMessage(m: StoredMessage): Record<string, unknown> {
    const users = this.state.users;
    const mentions = [...m.content.matchAll(/<@!?(\d+)>/g)].map((x) => x[1] as string).filter((id, i, a) => a.indexOf(id) === i && users.has(id));
    const everyoneAllowed = (() => {
      const am = m.allowedMentions as { parse?: string[] } | null;
      return !am || (Array.isArray(am.parse) && am.parse.includes('everyone'));
    })();
    return {
      id: m.id,
      channel_id: m.channelId,
      type: m.type,
      author: apiUser(this.state.botUser()),
      content: m.content,
      embeds: m.embeds,
      components: m.components,
      attachments: m.attachments.map((a) => apiAttachment(a)),
      mentions: mentions.map((id) => apiUser(users.get(id) as SimUser)),
      mention_roles: [...m.content.matchAll(/<@&(\d+)>/g)].map((x) => x[1]),
      mention_everyone: everyoneAllowed && /@(everyone|here)/.test(m.content),
      pinned: false,
      tts: m.tts,
      timestamp: m.createdAt.toISOString(),
      edited_timestamp: m.editedAt ? m.editedAt.toISOString() : null,
      flags: m.flags,
      ...(m.nonce !== null ? { nonce: m.nonce } : {}),
      ...(m.webhookId ? { webhook_id: m.webhookId, application_id: this.state.identity.applicationId } : {}),
      ...(m.interactionMetadata ? { interaction_metadata: m.interactionMetadata } : {}),
    };
  }

  /** Validate + create a message in a channel (no permission checks). */
  create(channel: SimChannel, body: Record<string, unknown>, files: UploadedFile[], extra: Partial<StoredMessage> = {}): StoredMessage | Reply {
    const errors = validateMessagePayload(body);
    if (errors.length) return invalidForm(errors);
    const hasContent = typeof body.content === 'string' && body.content.length > 0;
    const hasEmbeds = Array.isArray(body.embeds) && body.embeds.length > 0;
    const hasComponents = Array.isArray(body.components) && body.components.length > 0;
    const hasOther = files.length > 0 || Array.isArray(body.sticker_ids) || body.poll !== undefined;
    if (!hasContent && !hasEmbeds && !hasComponents && !hasOther && !extra.flags) return err(400, 50006, 'Cannot send an empty message');
    const flags = Number(body.flags ?? 0) | (extra.flags ?? 0);
    const m: StoredMessage = {
      id: snowflake(),
      channelId: channel.id,
      guildId: channel.guildId,
      content: typeof body.content === 'string' ? body.content : '',
      embeds: normalizeEmbeds(body.embeds),
      components: Array.isArray(body.components) ? body.components : [],
      allowedMentions: body.allowed_mentions ?? null,
      nonce: typeof body.nonce === 'string' || typeof body.nonce === 'number' ? body.nonce : null,
      attachments: [],
      flags,
      interactionId: null,
      ephemeral: (flags & EPHEMERAL) !== 0,
      deleted: false,
      createdAt: new Date(),
      editedAt: null,
      type: 0,
      tts: body.tts === true,
      webhookId: null,
      interactionMetadata: null,
      ...extra,
    };
    m.flags = flags;
    m.attachments = this.storeAttachments(channel.id, files, body.attachments);
    this.state.storedMessages.set(m.id, m);
    this.state.messageOrder.push(m);
    if (!m.ephemeral) {
      this.state.lastMessageIds.set(channel.id, m.id);
      const guild = this.state.guilds.get(channel.guildId);
      const me = guild ? this.state.memberOf(guild, this.state.identity.botUserId) : undefined;
      this.gateway.dispatch(
        'MESSAGE_CREATE',
        { ...this.apiMessage(m), guild_id: channel.guildId, ...(me ? { member: apiMember(me, false) } : {}) },
        { intent: Intent.GuildMessages, guildId: channel.guildId },
      );
    }
    return m;
  }

  /** Apply an edit body to a stored message. */
  edit(m: StoredMessage, body: Record<string, unknown>, files: UploadedFile[]): StoredMessage | Reply {
    const errors = validateMessagePayload(body);
    if (errors.length) return invalidForm(errors);
    if ('content' in body) m.content = typeof body.content === 'string' ? body.content : '';
    if ('embeds' in body) m.embeds = normalizeEmbeds(body.embeds);
    if ('components' in body) m.components = Array.isArray(body.components) ? body.components : [];
    if ('allowed_mentions' in body) m.allowedMentions = body.allowed_mentions ?? null;
    if ('flags' in body && body.flags !== null && body.flags !== undefined) m.flags = (m.flags & (EPHEMERAL | LOADING)) | (Number(body.flags) & ~(EPHEMERAL | LOADING));
    if ('attachments' in body && Array.isArray(body.attachments)) {
      const keep = new Set((body.attachments as { id?: unknown }[]).map((a) => String(a.id)));
      m.attachments = m.attachments.filter((a) => keep.has(a.id));
    }
    if (files.length) m.attachments.push(...this.storeAttachments(m.channelId, files, body.attachments));
    m.flags &= ~LOADING;
    m.editedAt = new Date();
    if (!m.ephemeral) this.gateway.dispatch('MESSAGE_UPDATE', { ...this.apiMessage(m), guild_id: m.guildId }, { intent: Intent.GuildMessages, guildId: m.guildId });
    return m;
  }

  delete(m: StoredMessage): void {
    m.deleted = true;
    if (!m.ephemeral) this.gateway.dispatch('MESSAGE_DELETE', { id: m.id, channel_id: m.channelId, guild_id: m.guildId }, { intent: Intent.GuildMessages, guildId: m.guildId });
  }

  private storeAttachments(channelId: string, files: UploadedFile[], payloadAttachments: unknown): SimAttachment[] {
    const meta = Array.isArray(payloadAttachments) ? (payloadAttachments as { id?: unknown; filename?: unknown }[]) : [];
    return files.map((f) => {
      const m = meta.find((a) => String(a.id) === String(f.index));
      const filename = typeof m?.filename === 'string' ? m.filename : f.filename;
      const id = snowflake();
      const a: SimAttachment = {
        id,
        filename,
        contentType: f.contentType,
        size: f.content.length,
        url: `${this.baseUrl()}/cdn/attachments/${channelId}/${id}/${encodeURIComponent(filename)}`,
        content: f.content,
      };
      this.state.attachments.set(id, a);
      return a;
    });
  }
}

function normalizeEmbeds(embeds: unknown): unknown[] {
  if (!Array.isArray(embeds)) return [];
  return embeds.map((e: unknown) => ({ type: 'rich', ...(e as Record<string, unknown>) }));
}
