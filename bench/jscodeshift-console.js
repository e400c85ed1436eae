// The console-to-logger rewrite done the jscodeshift way, for the benchmark's comparison:
// console.log/info -> logger.info, warn -> warn, error -> error, debug/trace -> debug, and
// `import { logger } from '@bench/shared'` added when the file has no logger yet.
const LEVELS = { log: 'info', info: 'info', warn: 'warn', error: 'error', debug: 'debug', trace: 'debug' };

module.exports = function transformer(file, api) {
  const j = api.jscodeshift;
  const root = j(file.source);
  const calls = root.find(j.CallExpression, {
    callee: { type: 'MemberExpression', object: { type: 'Identifier', name: 'console' } },
  }).filter((path) => LEVELS[path.node.callee.property.name]);
  if (calls.size() === 0) {
    return null;
  }
  calls.forEach((path) => {
    path.node.callee = j.memberExpression(j.identifier('logger'), j.identifier(LEVELS[path.node.callee.property.name]));
  });
  const hasLogger = root.find(j.ImportSpecifier, { imported: { name: 'logger' } }).size() > 0;
  if (!hasLogger) {
    const imports = root.find(j.ImportDeclaration);
    const declaration = j.importDeclaration([j.importSpecifier(j.identifier('logger'))], j.literal('@bench/shared'));
    if (imports.size() > 0) {
      imports.at(imports.size() - 1).insertAfter(declaration);
    } else {
      root.get().node.program.body.unshift(declaration);
    }
  }
  return root.toSource({ quote: 'single' });
};
