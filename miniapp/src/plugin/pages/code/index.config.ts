export { default } from '../../../pages/code/index.config';
