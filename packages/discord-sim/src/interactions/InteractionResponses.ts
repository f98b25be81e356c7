import { apiUser, type SimUser } from '../apiObjects.ts';
import { EPHEMERAL, isMessage, LOADING, type MessageStore } from '../messages/MessageStore.ts';
import { err, invalidForm, UNKNOWN_CHANNEL, UNKNOWN_INTERACTION, UNKNOWN_MESSAGE, UNKNOWN_WEBHOOK, type Reply, type RouteContext } from '../rest/reply.ts';
import type { InteractionState, SimState, StoredMessage } from '../state/SimState.ts';
import type { InteractionResponseRecord } from '../types.ts';

const INTERACTION_TOKEN_TTL_MS = 15 * 60_000;

/**
 * The bot's answers to interactions: the initial callback (reply, defer, update, autocomplete, modal),
 * follow-ups, and reading/editing/deleting `@original` and follow-up messages through the interaction
 * webhook — with Discord's rules on acknowledgement time, token lifetime and response types.
 */
export class InteractionResponses {
  constructor(
    private readonly state: SimState,
    private readonly messages: MessageStore,
    private readonly ackTimeoutMs: number,
  ) {}

  /** `POST /interactions/{id}/{token}/callback`. */
  callback(id: string, token: string, ctx: RouteContext): Reply {
    const state = this.state.interactionStates.get(id);
    if (!state || state.record.token !== token) return UNKNOWN_INTERACTION();
    if (state.ackType === null && Date.now() - state.createdAt >= this.ackTimeoutMs) return UNKNOWN_INTERACTION();
    if (state.ackType !== null) return err(400, 40060, 'Interaction has already been acknowledged.');
    const type = Number(ctx.json.type);
    const data = (ctx.json.data ?? {}) as Record<string, unknown>;
    const files = ctx.files.map((f) => ({ filename: f.filename, content: f.content }));
    const entry = this.state.channels.get(state.record.channelId);
    const itype = state.record.type;
    const wrongType = () => err(400, 40004, `Interaction response type ${type} is not valid for interaction type ${itype}`);
    let message: StoredMessage | null = null;
    let ephemeral = (Number(data.flags ?? 0) & EPHEMERAL) !== 0;
    switch (type) {
      case 4:
      case 5: {
        if (itype === 4) return wrongType();
        if (!entry || entry.deleted) return UNKNOWN_CHANNEL();
        const meta = { id: state.record.id, type: itype, user: apiUser(this.state.users.get(state.record.userId) as SimUser), authorizing_integration_owners: { '0': state.record.guildId }, ...(itype === 2 ? { name: state.record.commandName } : {}) };
        const body = type === 5 ? { flags: Number(data.flags ?? 0) } : data;
        const created = this.messages.create(entry.channel, body, ctx.files, {
          type: itype === 2 ? 20 : 19,
          interactionId: state.record.id,
          webhookId: this.state.identity.applicationId,
          interactionMetadata: meta,
          ...(type === 5 ? { flags: LOADING } : {}),
        });
        if (!isMessage(created)) return created;
        message = created;
        state.record.originalMessageId = message.id;
        state.messageIds.add(message.id);
        break;
      }
      case 6:
      case 7: {
        if (itype !== 3) return wrongType();
        const src = state.sourceMessageId ? this.state.storedMessages.get(state.sourceMessageId) : undefined;
        if (src) {
          state.record.originalMessageId = src.id;
          state.messageIds.add(src.id);
          ephemeral = src.ephemeral;
          if (type === 7) {
            const edited = this.messages.edit(src, data, ctx.files);
            if (!isMessage(edited)) return edited;
          }
          message = src;
        }
        break;
      }
      case 8:
        if (itype !== 4) return wrongType();
        ephemeral = true;
        break;
      case 9:
        if (itype === 4) return wrongType();
        ephemeral = true;
        break;
      default:
        return invalidForm([{ path: ['type'], code: 'BASE_TYPE_CHOICES', message: `Value must be one of {4, 5, 6, 7, 8, 9, 10, 12}.` }]);
    }
    state.ackType = type;
    respond(state, { kind: 'callback', type, data, ephemeral, ...(files.length ? { files } : {}), ...(message ? { messageId: message.id } : {}) });
    if (ctx.url.searchParams.get('with_response') === 'true') {
      return {
        status: 200,
        body: {
          interaction: { id: state.record.id, type: itype, response_message_id: message?.id, response_message_loading: type === 5, response_message_ephemeral: ephemeral },
          resource: { type, ...(message ? { message: this.messages.apiMessage(message) } : {}) },
        },
      };
    }
    return { status: 204 };
  }

  /** `POST /webhooks/{application_id}/{token}`: a follow-up message. */
  followUp(appId: string, token: string, ctx: Pick<RouteContext, 'json' | 'files'>): Reply {
    const state = this.liveInteraction(appId, token);
    if ('status' in state) return state;
    const files = ctx.files.map((f) => ({ filename: f.filename, content: f.content }));
    const original = state.record.originalMessageId ? this.state.storedMessages.get(state.record.originalMessageId) : undefined;
    // Discord: a follow-up right after a deferred reply edits the loading message instead of creating one (once that
    // message is deleted, a follow-up is a new message with its own flags).
    if (original && !original.deleted && (original.flags & LOADING) !== 0) {
      const edited = this.messages.edit(original, ctx.json, ctx.files);
      if (!isMessage(edited)) return edited;
      respond(state, { kind: 'followup', data: ctx.json, ephemeral: edited.ephemeral, messageId: edited.id, ...(files.length ? { files } : {}) });
      return { status: 200, body: this.messages.apiMessage(edited) };
    }
    const entry = this.state.channels.get(state.record.channelId);
    if (!entry || entry.deleted) return UNKNOWN_CHANNEL();
    const created = this.messages.create(entry.channel, ctx.json, ctx.files, { interactionId: state.record.id, webhookId: this.state.identity.applicationId, type: 0 });
    if (!isMessage(created)) return created;
    state.messageIds.add(created.id);
    respond(state, { kind: 'followup', data: ctx.json, ephemeral: created.ephemeral, messageId: created.id, ...(files.length ? { files } : {}) });
    return { status: 200, body: this.messages.apiMessage(created) };
  }

  /** `GET|PATCH|DELETE /webhooks/{application_id}/{token}/messages/{@original|id}`. */
  webhookMessage(method: 'GET' | 'PATCH' | 'DELETE', m: RegExpExecArray, ctx: Pick<RouteContext, 'json' | 'files'>): Reply {
    const state = this.liveInteraction(m[1] as string, m[2] as string);
    if ('status' in state) return state;
    const ref = m[3] as string;
    const id = ref === '@original' ? state.record.originalMessageId : ref;
    const msg = id && state.messageIds.has(id) ? this.state.storedMessages.get(id) : undefined;
    if (!msg || msg.deleted) return UNKNOWN_MESSAGE();
    if (method === 'GET') return { status: 200, body: this.messages.apiMessage(msg) };
    if (method === 'DELETE') {
      this.messages.delete(msg);
      respond(state, { kind: 'delete', data: { messageId: msg.id }, ephemeral: msg.ephemeral, messageId: msg.id });
      return { status: 204 };
    }
    const edited = this.messages.edit(msg, ctx.json, ctx.files);
    if (!isMessage(edited)) return edited;
    const files = ctx.files.map((f) => ({ filename: f.filename, content: f.content }));
    respond(state, { kind: 'edit', data: ctx.json, ephemeral: edited.ephemeral, messageId: edited.id, ...(files.length ? { files } : {}) });
    return { status: 200, body: this.messages.apiMessage(edited) };
  }

  private liveInteraction(appId: string, token: string): InteractionState | Reply {
    const state = this.state.interactionByToken(appId, token);
    if (!state || state.ackType === null || Date.now() - state.createdAt > INTERACTION_TOKEN_TTL_MS) return UNKNOWN_WEBHOOK();
    return state;
  }
}

function respond(state: InteractionState, r: Omit<InteractionResponseRecord, 'at'>): void {
  state.record.responses.push({ ...r, at: new Date() });
}
