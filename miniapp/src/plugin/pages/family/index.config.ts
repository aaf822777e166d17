export { default } from '../../../pages/family/index.config';
