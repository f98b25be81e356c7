import { KickEventDispatcher, parseKickEvent, samplePayloads, type KickEventHandler } from '@kickcord/kick';

const dispatcher = new KickEventDispatcher({
  // A handler that throws never stops the others: each failure comes here and in the dispatch report.
  onError: (error, event) => console.error(`handler for ${event.type} failed:`, error),
});

// Handlers are typed by event name: `payload` is a ChatMessageSentPayload here.
dispatcher.on('chat.message.sent', (payload) => {
  console.log(`${payload.sender.username}: ${payload.content}`);
});

// A named handler, so that `off` can remove it later.
const thankFollower: KickEventHandler<'channel.followed'> = (payload) => {
  console.log(`thanks for the follow, ${payload.follower.username}!`);
};
dispatcher.on('channel.followed', thankFollower);

// `once` runs for the next event of that type only.
dispatcher.once('channel.followed', (payload) => {
  console.log(`first follower of ${payload.broadcaster.username}: ${payload.follower.username}`);
});

// `onAny` sees every event. `on`, `once` and `onAny` each return a function that unregisters the handler.
const stopAny = dispatcher.onAny(async (event) => {
  console.log(`event ${event.type} for broadcaster ${event.payload.broadcaster.user_id}`);
});

// In a webhook route: once verifyKickWebhook has accepted a delivery, parse its body with the
// Kick-Event-Type and Kick-Event-Version headers, then dispatch it (async handlers are awaited).
for (const type of ['chat.message.sent', 'channel.followed', 'channel.followed'] as const) {
  const parsed = parseKickEvent(type, '1', samplePayloads[type]);
  if (!parsed.ok) throw new Error(parsed.issues.map((issue) => issue.message).join('; '));
  const report = await dispatcher.dispatch(parsed.event);
  console.log(`${report.handled} handlers ran, ${report.errors.length} failed`);
}

dispatcher.off('channel.followed', thankFollower);
stopAny();
console.log(`follow handlers left: ${dispatcher.listenerCount('channel.followed')}`);
