// Imports the modules named on its command line (file or package URLs), one after another, and exits: what
// loading `fbuild daemon status`'s modules unbundled costs, for the bench to set beside the bundle.
// argv: <module URL>…
for (const url of process.argv.slice(2)) await import(url);
