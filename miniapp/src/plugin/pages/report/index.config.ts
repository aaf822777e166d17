export { default } from '../../../pages/report/index.config';
