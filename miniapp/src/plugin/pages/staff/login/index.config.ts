export { default } from '../../../../pages/staff/login/index.config';
