import { describeKernelSuite } from './kernel_suite.js';

describeKernelSuite('native');
