export { collectionRows, locatorParameter, optionsParameter, parseJson, stringParameter } from '../shared/params';
