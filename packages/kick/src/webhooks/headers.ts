/** Header names Kick sets on every webhook delivery. */
export const KICK_WEBHOOK_HEADERS = {
  messageId: 'Kick-Event-Message-Id',
  subscriptionId: 'Kick-Event-Subscription-Id',
  signature: 'Kick-Event-Signature',
  timestamp: 'Kick-Event-Message-Timestamp',
  eventType: 'Kick-Event-Type',
  eventVersion: 'Kick-Event-Version',
} as const;
