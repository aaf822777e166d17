export { default } from '../../../../pages/staff/result/index.config';
