import { describeKernelSuite } from './kernel-suite.js';

describeKernelSuite('native');
