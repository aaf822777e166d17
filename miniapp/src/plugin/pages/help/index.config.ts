export { default } from '../../../pages/help/index.config';
