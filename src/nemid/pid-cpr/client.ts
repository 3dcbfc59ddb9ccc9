import { IdpError } from '../../errors/index.js';
import { randomHex128 } from '../../shared/index.js';
import { isValidCprShape, PID_CPR_NO_MATCH, PID_CPR_OK, pidCprStatusError } from './status.js';
import { pidCprFormBody, pidCprRequestXml } from './request.js';
import { MAX_PID_CPR_RESPONSE_BYTES, parsePidCprResponse, sameText } from './response.js';
import { postPidCpr, type PidCprTls } from './transport.js';

// The PID-CPR client (plain XML, nemid-protocol.md §8): lookup (PID → CPR, public authorities only) and match
// (PID + CPR → yes/no). Every status but 0 and 1 is thrown as its catalogue error; the CPR never appears in an
// error, a log field or a detail.

export interface PidCprClientOptions {
  /** …/pid_serviceprovider_server/pidxml/ */
  url: string;
  /** Our Nets-issued numeric SPID. */
  spid: string;
  timeoutMs: number;
  /** Required for https URLs; http is only for the simulator on 127.0.0.1. */
  tls?: PidCprTls;
}

export interface PidCprClient {
  /** The CPR registered for `pid` (bare PID, no "PID:"). */
  lookup(pid: string): Promise<string>;
  /** Whether `cpr` (ten digits) belongs to `pid`. */
  match(pid: string, cpr: string): Promise<boolean>;
}

export function createPidCprClient(options: PidCprClientOptions): PidCprClient {
  const url = new URL(options.url);

  async function ask(pid: string, cpr?: string) {
    const id = randomHex128();
    const xml = pidCprRequestXml({ id, spid: options.spid, pid, ...(cpr === undefined ? {} : { cpr }) });
    const answer = await postPidCpr({
      url,
      body: pidCprFormBody(xml),
      timeoutMs: options.timeoutMs,
      maxResponseBytes: MAX_PID_CPR_RESPONSE_BYTES,
      ...(options.tls ? { tls: options.tls } : {}),
    });
    if (answer.status >= 500) throw new IdpError('CPR_SERVICE_UNAVAILABLE', 'PID-CPR answered an HTTP server error', { detail: { httpStatus: answer.status } });
    if (answer.status !== 200) throw new IdpError('CPR_SERVICE_ERROR', 'PID-CPR answered an unexpected HTTP status', { detail: { httpStatus: answer.status } });
    const reply = parsePidCprResponse(answer.body, id);
    if (reply.pid !== undefined && reply.pid !== pid) throw new IdpError('CPR_RESPONSE_INVALID', 'PID-CPR answered about another PID');
    return reply;
  }

  return {
    async lookup(pid) {
      const reply = await ask(pid);
      if (reply.status !== PID_CPR_OK) {
        if (reply.status === PID_CPR_NO_MATCH) throw new IdpError('CPR_RESPONSE_INVALID', 'PID-CPR answered NO_MATCH to a lookup');
        throw pidCprStatusError(reply.status);
      }
      if (reply.cpr === undefined || !isValidCprShape(reply.cpr)) throw new IdpError('CPR_RESPONSE_INVALID', 'PID-CPR lookup answered without a CPR number');
      return reply.cpr;
    },
    async match(pid, cpr) {
      if (!isValidCprShape(cpr)) throw new IdpError('CPR_FORMAT_INVALID');
      const reply = await ask(pid, cpr);
      if (reply.status === PID_CPR_NO_MATCH) return false;
      if (reply.status !== PID_CPR_OK) throw pidCprStatusError(reply.status);
      // The plain-XML answer carries the CPR it matched: an OK without it, or naming another, is not a yes.
      if (reply.cpr === undefined) throw new IdpError('CPR_RESPONSE_INVALID', 'PID-CPR match answered OK without echoing the CPR');
      if (!sameText(reply.cpr, cpr)) throw new IdpError('CPR_RESPONSE_INVALID', 'PID-CPR match echoed another CPR');
      return true;
    },
  };
}
