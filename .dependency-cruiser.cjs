/**
 * Imports point one way, down DESIGN.md's "Layers" list; `npm run depcheck` (part of `npm test`) fails on an
 * upward import or a cycle. Layers on one line (projections, eventbus, notifiers, songbook) may use each other,
 * cycles aside. src/*.ts at the root (codedError, ringBuffer) sit under every layer.
 */
const LAYERS = [
  ['aggregates'],
  ['eventstore'],
  ['projections', 'eventbus', 'notifiers', 'songbook'],
  ['workflows'],
  ['api'],
  ['local', 'cli'],
];

const upward = LAYERS.flatMap((layer, level) => {
  const above = LAYERS.slice(level + 1).flat();
  if (above.length === 0) return [];
  return layer.map((name) => ({
    name: `no-upward-from-${name}`,
    comment: `src/${name} may only import layers below it (DESIGN.md "Layers"), not ${above.join(', ')}`,
    severity: 'error',
    from: { path: `^src/${name}/` },
    to: { path: `^src/(${above.join('|')})/` },
  }));
});

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...upward,
    {
      name: 'no-circular',
      comment: 'No module may reach itself through its imports',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'aggregates-are-pure',
      comment: 'src/aggregates imports nothing from AWS, Node I/O or other layers (DESIGN.md "Rules of the house")',
      severity: 'error',
      from: { path: '^src/aggregates/' },
      to: { pathNot: '^src/(aggregates/|codedError\\.ts$)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)__tests__/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // import type counts: a type import upward still ties a lower layer to a higher one.
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
