import { apiChannel } from '../../apiObjects.ts';
import { isMessage } from '../../messages/MessageStore.ts';
import { Perm } from '../../permissions.ts';
import { channelForRest, type RestDeps } from '../RestDeps.ts';
import { err, invalidForm, isReply, MISSING_PERMISSIONS, ok, UNKNOWN_MESSAGE, type Route } from '../reply.ts';

const NONCE_WINDOW_MS = 5 * 60_000;
/** Channel types that hold messages (text, voice, announcement, threads, stage). */
const MESSAGE_CHANNEL_TYPES = new Set([0, 2, 5, 10, 11, 12, 13]);

/** Channels and their messages: get channel, typing, list/get/create/edit/delete messages. */
export function channelRoutes({ state, messages }: RestDeps): Route[] {
  return [
    ['GET', /^\/channels\/(\d+)$/, (m) => {
      const e = channelForRest(state, m[1] as string);
      return isReply(e) ? e : ok(apiChannel(e.channel, state.lastMessageId(e.channel.id)));
    }, true],
    ['POST', /^\/channels\/(\d+)\/typing$/, (m) => {
      const e = channelForRest(state, m[1] as string);
      return isReply(e) ? e : { status: 204 };
    }, true],
    ['GET', /^\/channels\/(\d+)\/messages$/, (m, ctx) => {
      const e = channelForRest(state, m[1] as string);
      if (isReply(e)) return e;
      const limit = Math.min(100, Number(ctx.url.searchParams.get('limit') ?? 50));
      const list = state.messageOrder.filter((x) => !x.deleted && !x.ephemeral && x.channelId === e.channel.id).reverse().slice(0, limit);
      return ok(list.map((x) => messages.apiMessage(x)));
    }, true],
    ['GET', /^\/channels\/(\d+)\/messages\/(\d+)$/, (m) => {
      const e = channelForRest(state, m[1] as string);
      if (isReply(e)) return e;
      const msg = state.storedMessages.get(m[2] as string);
      return msg && !msg.deleted && !msg.ephemeral && msg.channelId === e.channel.id ? ok(messages.apiMessage(msg)) : UNKNOWN_MESSAGE();
    }, true],
    ['POST', /^\/channels\/(\d+)\/messages$/, (m, ctx) => {
      const e = channelForRest(state, m[1] as string);
      if (isReply(e)) return e;
      if (!MESSAGE_CHANNEL_TYPES.has(e.channel.type)) return err(400, 50008, 'Cannot send messages in a non-text channel');
      const perms = state.botChannelPerms(e.guild, e.channel);
      if ((perms & Perm.SendMessages) === 0n) return MISSING_PERMISSIONS();
      if (ctx.files.length && (perms & Perm.AttachFiles) === 0n) return MISSING_PERMISSIONS();
      const nonce = ctx.json.nonce;
      const nonceKey = typeof nonce === 'string' || typeof nonce === 'number' ? `${e.channel.id}:${String(nonce)}` : null;
      if (nonceKey !== null && String(nonce).length > 25) return invalidForm([{ path: ['nonce'], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 25 or fewer in length.' }]);
      if (nonceKey && ctx.json.enforce_nonce === true) {
        const prior = state.nonces.get(nonceKey);
        const priorMsg = prior && Date.now() - prior.at < NONCE_WINDOW_MS ? state.storedMessages.get(prior.messageId) : undefined;
        if (priorMsg) return ok(messages.apiMessage(priorMsg));
      }
      const created = messages.create(e.channel, ctx.json, ctx.files);
      if (!isMessage(created)) return created;
      if (nonceKey && ctx.json.enforce_nonce === true) state.nonces.set(nonceKey, { messageId: created.id, at: Date.now() });
      return ok(messages.apiMessage(created));
    }, true],
    ['PATCH', /^\/channels\/(\d+)\/messages\/(\d+)$/, (m, ctx) => {
      const e = channelForRest(state, m[1] as string);
      if (isReply(e)) return e;
      const msg = state.storedMessages.get(m[2] as string);
      if (!msg || msg.deleted || msg.ephemeral || msg.channelId !== e.channel.id) return UNKNOWN_MESSAGE();
      const edited = messages.edit(msg, ctx.json, ctx.files);
      return isMessage(edited) ? ok(messages.apiMessage(edited)) : edited;
    }, true],
    ['DELETE', /^\/channels\/(\d+)\/messages\/(\d+)$/, (m) => {
      const e = channelForRest(state, m[1] as string);
      if (isReply(e)) return e;
      const msg = state.storedMessages.get(m[2] as string);
      if (!msg || msg.deleted || msg.ephemeral || msg.channelId !== e.channel.id) return UNKNOWN_MESSAGE();
      messages.delete(msg);
      return { status: 204 };
    }, true],
  ];
}
