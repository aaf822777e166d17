export { default } from '../../../pages/l4/index.config';
