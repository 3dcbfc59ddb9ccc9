import { setTimeout as sleep } from 'node:timers/promises';
import type { ControlSwitches } from '../control.js';
import { text } from '../http/responses.js';
import type { SimRoute } from '../http/types.js';
import { answerPlainXml } from './plain-xml-endpoint.js';
import type { PidCprService } from './service.js';

// Routes of the simulated PID-CPR service, served on their own mutual-TLS listener like the real service: only a
// caller presenting one of the enrolled client certificates (the IdP's VOCES) is answered; any other gets HTTP 403
// before its request is read. Switch pidCpr: 'timeout' holds each answer back for `timeoutMs`, 'unavailable'
// answers HTTP 503, a number forces that status code in every well-formed answer.

export const PID_XML_PATH = '/pid_serviceprovider_server/pidxml/';

/** The client certificates (DER) PID-CPR answers; 'any-caller' only for tests that exercise it without TLS. */
export type PidCprClients = readonly Buffer[] | 'any-caller';

export function pidCprRoutes(deps: { service: PidCprService; switches: () => ControlSwitches; timeoutMs: number; clients: PidCprClients }): SimRoute[] {
  return [
    {
      method: 'POST',
      path: PID_XML_PATH,
      body: 'form',
      async handle(req) {
        const presented = req.clientCertificateDer;
        if (deps.clients !== 'any-caller' && !(presented && deps.clients.some((der) => der.equals(presented)))) {
          return text(403, 'PID-CPR answers only enrolled service providers: present the VOCES as TLS client certificate');
        }
        const mode = deps.switches().pidCpr;
        if (mode === 'unavailable') return text(503, 'PID-CPR unavailable (simulator switch)');
        if (mode === 'timeout') await sleep(deps.timeoutMs, undefined, { ref: false });
        return answerPlainXml(req, deps.service, typeof mode === 'number' ? mode : undefined);
      },
    },
  ];
}
