// Node 20 lacks Promise.withResolvers, which aws-local-stepfunctions 3.x calls (Lambda runs Node 22).
import '../../src/local/polyfills';
