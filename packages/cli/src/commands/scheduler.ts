import { unwrap } from '@pricebook/client';
import type { Command } from '../command';
import { exitCodes, usageError } from '../errors';
import { json } from '../format';

const help = `Start or stop the sync scheduler (needs an operator or admin key).

Usage: pricebook scheduler start|stop [--json]

Examples:
  pricebook scheduler stop     # before maintenance
  pricebook scheduler start`;

/** `pricebook scheduler start|stop` (`POST /scheduler/start|stop`). */
export const schedulerCommand: Command = {
  name: 'scheduler',
  summary: 'start or stop the sync scheduler',
  help,
  options: {},
  async run(ctx) {
    const [action, ...extra] = ctx.positionals;
    if (action !== 'start' && action !== 'stop') {
      throw usageError(
        action ? `unknown scheduler action "${action}"` : 'scheduler needs start or stop',
        'scheduler',
      );
    }
    if (extra.length > 0) throw usageError(`unexpected argument "${extra[0]}"`, 'scheduler');
    const body = unwrap(
      action === 'start'
        ? await ctx.api.POST('/api/sync/pricebook/scheduler/start')
        : await ctx.api.POST('/api/sync/pricebook/scheduler/stop'),
    );
    const running = body.scheduler.isRunning;
    ctx.io.out(ctx.json ? json(body) : `scheduler ${running ? 'running' : 'stopped'}`);
    return exitCodes.ok;
  },
};
