import { createHmac } from 'node:crypto';

// The key of cpr_memory and cpr_match_attempts: HMAC-SHA256 of the PID under a deployment secret, so neither table
// can be joined to a person without the secret. The PID is taken bare (without "PID:"), as PID-CPR takes it.

export function pidHmac(secret: Buffer, pid: string): Buffer {
  return createHmac('sha256', secret).update(`nemid-idp:cpr-pid:v1\0${barePid(pid)}`, 'utf8').digest();
}

export function barePid(pid: string): string {
  return pid.startsWith('PID:') ? pid.slice(4) : pid;
}
