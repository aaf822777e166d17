export { default } from '../../../pages/arrival/index.config';
