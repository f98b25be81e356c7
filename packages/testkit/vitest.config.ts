import { kickcordProject } from '../../vitest.shared.ts';

export default kickcordProject('testkit');
