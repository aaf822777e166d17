export { default } from '../../../../pages/staff/password/index.config';
