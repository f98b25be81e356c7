/** Child process: signs a slice of the delivery pool (see pool.ts). */
import { createPrivateKey } from 'node:crypto';
import { signKickWebhook } from '@kickcord/kick';
import { chatBody, idOf } from './pool.ts';

process.once('message', (m) => {
  const { privateKeyPem, salt, timestamp, from, to } = m as { privateKeyPem: string; salt: string; timestamp: string; from: number; to: number };
  const privateKey = createPrivateKey(privateKeyPem);
  const signatures: string[] = [];
  for (let i = from; i < to; i++) {
    const id = idOf(salt, i);
    signatures.push(signKickWebhook({ messageId: id, timestamp, rawBody: chatBody(id), privateKey }));
  }
  process.send?.({ signatures });
});
