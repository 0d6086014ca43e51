// The page imports Cytoscape as ./vendor/cytoscape.esm.min.mjs, a path the server maps to the
// npm package's own ES-module build (src/api/routes.ts); this gives that import the package's types
// when console/tsconfig.json checks the page.
import cytoscape from 'cytoscape';
export default cytoscape;
