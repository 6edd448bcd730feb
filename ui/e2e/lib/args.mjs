// Command-line options of the browser end-to-end run (tests/e2e/ui.sh passes them all).
export function parseArgs(argv) {
  const options = {};
  for (let index = 0; index < argv.length; index += 1) {
    const name = argv[index];
    if (!name.startsWith('--')) throw new Error(`unexpected argument ${name}`);
    const value = argv[index + 1];
    if (value === undefined || value.startsWith('--')) throw new Error(`${name} needs a value`);
    options[name.slice(2).replace(/-([a-z])/g, (_, letter) => letter.toUpperCase())] = value;
    index += 1;
  }
  for (const required of ['api', 'otlp', 'importApi', 'importOtlp', 'welcomeApi', 'teamApi', 'teamToken', 'liveFixture', 'chromium', 'screenshots', 'work']) {
    if (!options[required]) throw new Error(`missing --${required.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`);
  }
  return options;
}
