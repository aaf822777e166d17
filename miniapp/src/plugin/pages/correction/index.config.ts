export { default } from '../../../pages/correction/index.config';
