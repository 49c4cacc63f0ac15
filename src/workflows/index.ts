export { planWorkflow } from './plan-workflow';
