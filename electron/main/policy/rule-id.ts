import crypto from 'node:crypto';

/** A new rule id, e.g. `r_3kTq9xw2Lm`. */
export function newRuleId(): string {
  return `r_${crypto.randomBytes(8).toString('base64url')}`;
}
