export { default } from '../../../pages/point/index.config';
