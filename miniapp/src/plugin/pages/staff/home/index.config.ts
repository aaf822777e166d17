export { default } from '../../../../pages/staff/home/index.config';
