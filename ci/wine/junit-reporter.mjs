// node:test's JUnit reporter, saying where the tests ran: every testcase's classname and every suite's name
// carry the platform as this process sees it (`win32-x64 node v20.20.2` under Wine), so the published
// results say win32 because node.exe said so, not because a script labelled them.
import { junit } from 'node:test/reporters';

const where = `${process.platform}-${process.arch} node ${process.version}`;

export default async function* platformJunit(source) {
  for await (const chunk of junit(source)) {
    yield String(chunk)
      .replace(/classname="test"/g, `classname="${where}"`)
      .replace(/<testsuite name="/g, `<testsuite name="${where}: `);
  }
}
