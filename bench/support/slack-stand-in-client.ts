import { fork, type ChildProcess } from 'node:child_process';

export interface RemoteSlackCall {
  method: string;
  at: number;
  channel: string | null;
  ts: string | null;
}

/** Starts bench/support/slack-stand-in-process.ts and talks to it over IPC. */
export async function startSlackStandInProcess(): Promise<{
  url: string;
  apiUrl: string;
  calls(): Promise<RemoteSlackCall[]>;
  reset(): void;
  stop(): Promise<void>;
}> {
  const child: ChildProcess = fork(new URL('./slack-stand-in-process.ts', import.meta.url).pathname, [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (m: any) => (m.type === 'ready' ? resolve(m.url) : reject(new Error('unexpected message'))));
    child.once('exit', (code) => reject(new Error(`Slack stand-in exited ${code}`)));
  });
  return {
    url,
    apiUrl: `${url}api/`,
    calls: () =>
      new Promise((resolve) => {
        const onMessage = (m: any) => {
          if (m.type !== 'calls') return;
          child.off('message', onMessage);
          resolve(m.calls);
        };
        child.on('message', onMessage);
        child.send({ type: 'calls' });
      }),
    reset: () => void child.send({ type: 'reset' }),
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}
