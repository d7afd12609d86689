import { viewStrings } from './catalogs.ts';

export default viewStrings('de');
