export { default } from '../../../../pages/staff/history/index.config';
