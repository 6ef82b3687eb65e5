// The Ant JUnit format as CI readers validate it, checked on a parsed tree: Jenkins' junit-10.xsd (the most
// permissive strict schema: element and attribute sets, required attributes, SUREFIRE_TIME), plus the stricter
// windyroad JUnit.xsd rules we also honour (testsuite id/package/timestamp/hostname present, timestamp without
// zone, counts are integers, properties and suite-level system-out/system-err present).
import { elements, type XmlElement } from './xml-check.js';

const ALLOWED: Record<string, { attrs: string[]; required: string[]; children: string[] }> = {
  testsuites: { attrs: ['name', 'time', 'tests', 'failures', 'errors'], required: [], children: ['testsuite'] },
  testsuite: {
    attrs: [
      'name',
      'tests',
      'failures',
      'errors',
      'group',
      'time',
      'skipped',
      'timestamp',
      'hostname',
      'id',
      'package',
      'file',
      'log',
      'url',
    ],
    required: ['name', 'tests', 'failures', 'errors', 'time', 'timestamp', 'hostname', 'id', 'package'],
    children: ['properties', 'testcase', 'system-out', 'system-err'],
  },
  properties: { attrs: [], required: [], children: ['property'] },
  property: { attrs: ['name', 'value'], required: ['name', 'value'], children: [] },
  testcase: {
    attrs: ['name', 'time', 'classname', 'group'],
    required: ['name', 'time', 'classname'],
    children: ['skipped', 'error', 'failure', 'system-out', 'system-err'],
  },
  failure: { attrs: ['type', 'message'], required: ['type', 'message'], children: [] },
  error: { attrs: ['type', 'message'], required: ['type', 'message'], children: [] },
  skipped: { attrs: ['type', 'message'], required: [], children: [] },
  'system-out': { attrs: [], required: [], children: [] },
  'system-err': { attrs: [], required: [], children: [] },
};

const SUREFIRE_TIME = /^(([0-9]{0,3},)*[0-9]{3}|[0-9]{0,3})*(\.[0-9]*)?$/;
const DECIMAL = /^[0-9]+(\.[0-9]+)?$/;
const INT = /^[0-9]+$/;
const ANT_TIMESTAMP = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}$/;

/** Returns the problems found; [] means the document follows the schema. */
export function antSchemaProblems(root: XmlElement): string[] {
  const problems: string[] = [];
  if (root.name !== 'testsuites') problems.push(`root is <${root.name}>, not <testsuites>`);
  const visit = (el: XmlElement, path: string): void => {
    const rule = ALLOWED[el.name];
    if (!rule) {
      problems.push(`${path}: element <${el.name}> is not in the schema`);
      return;
    }
    for (const a of Object.keys(el.attrs))
      if (!rule.attrs.includes(a)) problems.push(`${path}: attribute ${a} is not in the schema`);
    for (const a of rule.required) if (!(a in el.attrs)) problems.push(`${path}: missing required attribute ${a}`);
    for (const c of elements(el))
      if (!rule.children.includes(c.name)) problems.push(`${path}: <${c.name}> not allowed in <${el.name}>`);
    if (rule.children.length > 0 || el.name === 'properties') {
      const strayText = el.children.some((c) => 'text' in c && c.text.trim() !== '');
      if (strayText) problems.push(`${path}: text content not allowed in <${el.name}>`);
    }
    const time = el.attrs.time;
    if (time !== undefined && !(SUREFIRE_TIME.test(time) && DECIMAL.test(time)))
      problems.push(`${path}: time "${time}" is not a decimal number of seconds`);
    for (const n of ['tests', 'failures', 'errors', 'skipped', 'id']) {
      const v = el.attrs[n];
      if (v !== undefined && !INT.test(v)) problems.push(`${path}: ${n}="${v}" is not an integer`);
    }
    if (el.name === 'testsuite' && el.attrs.timestamp !== undefined && !ANT_TIMESTAMP.test(el.attrs.timestamp))
      problems.push(`${path}: timestamp "${el.attrs.timestamp}" is not yyyy-mm-ddThh:mm:ss`);
    if (el.name === 'testsuite') {
      const order = elements(el).map((c) => c.name);
      const rank = (n: string): number => ['properties', 'testcase', 'system-out', 'system-err'].indexOf(n);
      if (order.some((n, i) => i > 0 && rank(n) < rank(order[i - 1]!)))
        problems.push(`${path}: children out of order: ${order.join(',')}`);
      for (const must of ['properties', 'system-out', 'system-err'])
        if (!order.includes(must)) problems.push(`${path}: missing <${must}>`);
    }
    if (el.name === 'testcase') {
      const order = elements(el).map((c) => c.name);
      const rank = (n: string): number => ['skipped', 'error', 'failure', 'system-out', 'system-err'].indexOf(n);
      if (order.some((n, i) => i > 0 && rank(n) < rank(order[i - 1]!)))
        problems.push(`${path}: children out of order: ${order.join(',')}`);
    }
    for (const [i, c] of elements(el).entries()) visit(c, `${path}/${c.name}[${i}]`);
  };
  visit(root, root.name);
  return problems;
}
