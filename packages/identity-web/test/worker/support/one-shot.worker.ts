// A script as users write them: one app token, then close(), then nothing: the process must end
// on its own. Settings come as JSON in WORKER_SETTINGS.
import { createTokenAcquirer } from '../../../src/index';

async function main(): Promise<void> {
  const acquirer = createTokenAcquirer(
    JSON.parse(process.env.WORKER_SETTINGS ?? '{}') as Record<string, unknown>,
    {
      env: {},
    },
  );
  const token = await acquirer.getTokenForApp('https://graph.microsoft.com/.default');
  await acquirer.close();
  console.log(`token of ${token.accessToken.length} characters; closed`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
