import { parseCliArguments } from './cli-arguments';

describe('parseCliArguments', () => {
  it('defaults to serving on 8443 without the control API', () => {
    expect(parseCliArguments([])).toEqual({
      kind: 'serve',
      port: 8443,
      host: '127.0.0.1',
      controlApi: false,
      allowRemoteControl: false,
    });
  });

  it('reads --allow-remote-control', () => {
    expect(parseCliArguments(['--host', '0.0.0.0', '--control-api', '--allow-remote-control'])).toMatchObject(
      {
        host: '0.0.0.0',
        controlApi: true,
        allowRemoteControl: true,
      },
    );
  });

  it('reads --advertise-pkce, off unless given', () => {
    expect(parseCliArguments(['--advertise-pkce'])).toMatchObject({ kind: 'serve', advertisePkce: true });
    expect(parseCliArguments([])).not.toHaveProperty('advertisePkce');
  });

  it('reads serve flags, with = or a separate value', () => {
    expect(parseCliArguments(['--port=9443', '--config', 'dir.json', '--control-api'])).toMatchObject({
      kind: 'serve',
      port: 9443,
      config: 'dir.json',
      controlApi: true,
    });
  });

  it('splits exec at -- and keeps the command arguments untouched', () => {
    expect(parseCliArguments(['exec', '--home', '/tmp/h', '--', 'jest', '--ci', '--port', '1'])).toEqual({
      kind: 'exec',
      command: 'jest',
      args: ['--ci', '--port', '1'],
      homeDir: '/tmp/h',
    });
  });

  it('reads token lifetimes in seconds', () => {
    expect(parseCliArguments(['--access-token-lifetime', '900', '--id-token-lifetime=1200'])).toMatchObject({
      accessTokenLifetimeSeconds: 900,
      idTokenLifetimeSeconds: 1200,
    });
  });

  it('does not put the usage text in its error messages (the CLI prints it once)', () => {
    expect(() => parseCliArguments(['--bogus'])).toThrow(
      expect.objectContaining({ name: 'CliUsageError', message: "unknown argument '--bogus'" }),
    );
  });

  it.each([
    [['--port', 'abc'], /--port/],
    [['--access-token-lifetime', '0'], /--access-token-lifetime: expected a positive integer/],
    [['--access-token-lifetime', '1.5'], /--access-token-lifetime: expected a positive integer/],
    [['--id-token-lifetime', '-3'], /--id-token-lifetime: expected a positive integer/],
    [['--port'], /--port: expected a value/],
    [['--bogus'], /unknown argument '--bogus'/],
    [['exec'], /expected a command/],
    [['exec', '--port', '1', '--', 'x'], /unknown argument '--port'/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseCliArguments(argv)).toThrow(message);
  });
});
