export { default } from '../../../../pages/staff/feedback/index.config';
