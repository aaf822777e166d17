export { default } from '../../../pages/service/index.config';
