import { setTimeout as sleep } from 'node:timers/promises';
import type { ControlSwitches } from '../control.js';
import { text } from '../http/responses.js';
import type { SimRoute } from '../http/types.js';
import { answerPlainXml } from './plain-xml-endpoint.js';
import type { PidCprService } from './service.js';

// Routes of the simulated PID-CPR service. Switch pidCpr: 'timeout' holds each answer back for `timeoutMs`,
// 'unavailable' answers HTTP 503, a number forces that status code in every well-formed answer.

export const PID_XML_PATH = '/pid_serviceprovider_server/pidxml/';

export function pidCprRoutes(deps: { service: PidCprService; switches: () => ControlSwitches; timeoutMs: number }): SimRoute[] {
  return [
    {
      method: 'POST',
      path: PID_XML_PATH,
      body: 'form',
      async handle(req) {
        const mode = deps.switches().pidCpr;
        if (mode === 'unavailable') return text(503, 'PID-CPR unavailable (simulator switch)');
        if (mode === 'timeout') await sleep(deps.timeoutMs, undefined, { ref: false });
        return answerPlainXml(req, deps.service, typeof mode === 'number' ? mode : undefined);
      },
    },
  ];
}
