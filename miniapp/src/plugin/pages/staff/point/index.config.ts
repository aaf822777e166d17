export { default } from '../../../../pages/staff/point/index.config';
